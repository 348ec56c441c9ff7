/**
 * Test PKI made with the openssl CLI (node:crypto cannot build X.509 certificates): a CA, a server
 * certificate with kubeadm-like subjectAltNames, a client certificate, a second unrelated CA, and
 * a self-signed server certificate. Made once per test file in a temporary directory, returned as
 * PEM text. Without openssl the tests fail with a message saying so; they never skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  readonly caPem: string;
  readonly otherCaPem: string;
  readonly server: KeyPair;
  readonly client: KeyPair;
  readonly selfSigned: KeyPair;
}

export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** SERVER_NAMES are the subjectAltNames of the server certificate (as kubeadm's apiserver has). */
export const SERVER_DNS_NAMES = ['kubernetes', 'kubernetes.default'];

const CONFIG = `
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:kubernetes,DNS:kubernetes.default,IP:127.0.0.1,IP:::1
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[self]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:kubernetes,IP:127.0.0.1,IP:::1
`;

/** makePki runs openssl in a temporary directory it removes afterwards. */
export function makePki(): Pki {
  requireOpenssl();
  const dir = mkdtempSync(join(tmpdir(), 'lvscare-pki-'));
  try {
    writeFileSync(join(dir, 'openssl.cnf'), CONFIG);
    const run = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    };
    const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
    for (const name of ['ca', 'other-ca', 'server', 'client', 'self']) {
      run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
    }
    selfSign(run, 'ca', '/CN=lvscare-test-ca', 'ca');
    selfSign(run, 'other-ca', '/CN=some-other-ca', 'ca');
    selfSign(run, 'self', '/CN=kubernetes', 'self');
    issue(run, 'server', '/CN=kube-apiserver', 'server');
    issue(run, 'client', '/CN=lvscare/O=system:masters', 'client');
    const pair = (name: string): KeyPair => ({ certPem: read(`${name}.crt`), keyPem: read(`${name}.key`) });
    return { caPem: read('ca.crt'), otherCaPem: read('other-ca.crt'), server: pair('server'), client: pair('client'), selfSigned: pair('self') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Run = (...args: string[]) => void;

function selfSign(run: Run, name: string, subject: string, extensions: string): void {
  run('req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '2', '-config', 'openssl.cnf', '-extensions', extensions, '-out', `${name}.crt`);
}

function issue(run: Run, name: string, subject: string, extensions: string): void {
  run('req', '-new', '-key', `${name}.key`, '-subj', subject, '-config', 'openssl.cnf', '-out', `${name}.csr`);
  run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'openssl.cnf', '-extensions', extensions, '-out', `${name}.crt`);
}

function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch (err) {
    throw new Error('the HTTPS probe tests need the openssl CLI on PATH to make their certificates (apt-get install openssl)', { cause: err });
  }
}
