/**
 * Loaded once per worker into the workflow sandbox's shared module cache, so zod's modules are
 * evaluated once instead of in every workflow (about 6 ms of CPU per run). Only zod itself is
 * shared: the SDK deep-freezes shared modules, so our schemas, which zod extends on first use, are
 * still built by each workflow. Parsing once here fills zod's own lazily cached module state (its
 * eval check) before the freeze, where filling it later would throw.
 */
import { z } from 'zod';

z.strictObject({ warm: z.string().regex(/^w/).optional(), n: z.number().int() }).safeParse({ warm: 'w', n: 1 });
z.strictObject({ n: z.number() }).safeParse({ n: 'not a number', extra: true });
