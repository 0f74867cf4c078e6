// Every export here becomes a workflow type: export workflows only.
export { requestWorkflow } from './request-workflow.js';
export { sessionWorkflow } from './session-workflow.js';
