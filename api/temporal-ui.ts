/** Deep link to one workflow execution in Temporal UI. */
export function temporalUiWorkflowUrl(uiBaseUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiBaseUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
