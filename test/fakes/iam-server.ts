// A small fake of AWS IAM on 127.0.0.1 speaking its Query protocol (form-encoded POST, XML answers, SigV4
// required), for PutRolePolicy and DeleteRolePolicy. It fails as IAM does: NoSuchEntity (404),
// LimitExceeded (409, incl. the 10 240-character total of a role's inline policies), Throttling (400),
// MalformedPolicyDocument (400). Shapes from IAM's API reference (Query API, ErrorResponse).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** IAM's limit on the total size of a role's inline policies (characters, whitespace excluded). */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;

export type IamFailure = 'NoSuchEntity' | 'LimitExceeded' | 'Throttling' | 'MalformedPolicyDocument' | 'AccessDenied';
const STATUS: Record<IamFailure, number> = { NoSuchEntity: 404, LimitExceeded: 409, Throttling: 400, MalformedPolicyDocument: 400, AccessDenied: 403 };

export interface FakeIam {
  url: string;
  /** role name → (policy name → document) */
  roles: Map<string, Map<string, string>>;
  requests: Array<{ action: string; params: Record<string, string>; signed: boolean }>;
  failNext(code: IamFailure): void;
  close(): Promise<void>;
}

export async function startFakeIam(roles: string[] = []): Promise<FakeIam> {
  const failures: IamFailure[] = [];
  const fake = { roles: new Map(roles.map((r) => [r, new Map<string, string>()])), requests: [] } as unknown as FakeIam;
  let n = 0;
  const requestId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const xml = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  };
  const error = (res: ServerResponse, code: IamFailure, message: string) =>
    xml(res, STATUS[code], `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`);
  const ok = (res: ServerResponse, action: string) => xml(res, 200, `<${action}Response xmlns="${NS}"><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`);

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const params = Object.fromEntries(new URLSearchParams(body).entries());
    const action = params['Action'] ?? '';
    const signed = /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? '');
    fake.requests.push({ action, params, signed });
    if (req.method !== 'POST' || !signed) return error(res, 'AccessDenied', 'Request is not signed');
    const failure = failures.shift();
    if (failure) return error(res, failure, failure === 'Throttling' ? 'Rate exceeded' : `Scripted ${failure}`);
    const roleName = params['RoleName'] ?? '';
    const policies = fake.roles.get(roleName);
    if (!policies) return error(res, 'NoSuchEntity', `The role with name ${roleName} cannot be found.`);
    if (action === 'PutRolePolicy') {
      const doc = params['PolicyDocument'] ?? '';
      try {
        JSON.parse(doc);
      } catch {
        return error(res, 'MalformedPolicyDocument', 'Syntax errors in policy.');
      }
      const others = [...policies.entries()].filter(([name]) => name !== params['PolicyName']).reduce((sum, [, d]) => sum + d.replace(/\s/g, '').length, 0);
      if (others + doc.replace(/\s/g, '').length > ROLE_INLINE_POLICY_LIMIT) return error(res, 'LimitExceeded', `Maximum policy size of ${ROLE_INLINE_POLICY_LIMIT} bytes exceeded for role ${roleName}`);
      policies.set(params['PolicyName'] ?? '', doc);
      return ok(res, action);
    }
    if (action === 'DeleteRolePolicy') {
      if (!policies.delete(params['PolicyName'] ?? '')) return error(res, 'NoSuchEntity', `The role policy with name ${params['PolicyName']} cannot be found.`);
      return ok(res, action);
    }
    return xml(res, 400, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation ${action}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext: (code: IamFailure) => failures.push(code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
