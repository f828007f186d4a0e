/** What the worker probe workflow answers (its activity reports it): which worker ran it. */
export interface WorkerHealthReport {
  workerIdentity: string;
  pid: number;
  hostname: string;
  uptimeSeconds: number;
  at: string;
}
