/**
 * Loaded once per worker into the workflow sandbox's shared module cache (see PRELOADED_MODULES),
 * so the Ed25519 code that checks decisions is evaluated once instead of in every run, and the
 * base point's multiplication table, which a verification needs, is built once and shared. It must
 * be built here: the SDK deep-freezes shared modules after preloading. The table is a pure function
 * of the curve, so sharing it cannot make runs differ.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

ed25519.Point.BASE.multiplyUnsafe(2n);
