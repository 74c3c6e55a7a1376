// Messages between the benchmark and its worker process (Node IPC).

export type ToWorker = { cmd: 'pause' } | { cmd: 'resume' } | { cmd: 'usage' } | { cmd: 'stop' };

export interface JobRecord {
  alertKey: string;
  alertId: string;
  flow: string;
  verdict: string;
  score: number | null;
  attempt: number;
  /** Epoch ms when the investigation started (state read, before parsing the alert). */
  startedAt: number;
  /** Parse + gather + decide, inside the worker. */
  investigateMs: number;
  /** HTTP requests to Elasticsearch during the investigation. */
  esRequests: number;
  esByKind: Record<string, number>;
  /** Elasticsearch's own time (took) of the investigation's searches, per target. */
  esTookByTarget: Record<string, number>;
}

export interface WorkerSummary {
  /** Peak resident set size of the worker process (the kernel's high-water mark). */
  peakRssMb: number;
  /** Peak V8 heap in use, sampled every 100 ms. */
  peakHeapMb: number;
  /** Resident set once the worker was up, before its first job (code, modules, connections). */
  readyRssMb: number;
  /** After the last job and a full garbage collection: what the worker really keeps. */
  afterGcRssMb: number;
  afterGcHeapMb: number;
  unattributedRequests: number;
  unattributedByKind: Record<string, number>;
  failures: string[];
}

export type FromWorker =
  | { type: 'ready'; concurrency: number }
  | { type: 'paused' }
  | { type: 'resumed'; at: number }
  | { type: 'job'; record: JobRecord }
  /** CPU time the worker process has used so far (user + system). */
  | { type: 'usage'; cpuMs: number }
  | { type: 'stopped'; summary: WorkerSummary };
