// The page imports dagre from /assets/vendor/dagre.js (served from node_modules by the gateway);
// tsconfig's rootDirs maps that import here, to the package's own types.
export { Graph, layout } from '@dagrejs/dagre';
