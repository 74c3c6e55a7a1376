// Runs the real `triage` command in a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EvidenceIndices } from '../../src/evidence/indices.js';

const BIN = fileURLToPath(new URL('../../bin/triage.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `timeoutMs`: kill the command if it has not exited by then (code is then null). */
export function runCli(args: string[], env: Record<string, string> = {}, stdin?: string | Buffer, opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A command that stops reading early closes its end of the pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

/** The environment that points the CLI at a test cluster's namespace. */
export function cliEnv(cluster: { namespace: string; indices: EvidenceIndices }, url: string): Record<string, string> {
  return {
    ELASTICSEARCH_URL: url,
    DATA_NAMESPACE: cluster.namespace,
    INDEX_CLOUDTRAIL: cluster.indices.cloudtrail,
    INDEX_OKTA: cluster.indices.okta,
    INDEX_PROXY: cluster.indices.proxy,
    INDEX_EDR_PROCESS: cluster.indices.edrProcess,
    INDEX_EDR_FILE: cluster.indices.edrFile,
    INDEX_EDR_NETWORK: cluster.indices.edrNetwork,
    INDEX_PROOFPOINT: cluster.indices.proofpoint,
    INDEX_AGENT_SIGHTINGS: cluster.indices.agentSightings,
    INDEX_ALERTS: cluster.indices.alerts,
    INDEX_VERDICTS: cluster.indices.verdicts,
    INDEX_DISPOSITIONS: cluster.indices.dispositions,
    AWS_IP_RANGES_FILE: 'samples/aws-ip-ranges.sample.json',
  };
}
