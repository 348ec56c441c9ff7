/**
 * A throw-away PKI made with openssl for the HTTPS probe tests: a CA, and server certificates it
 * signs with the names kubeadm puts in an apiserver certificate (DNS names and IP addresses).
 * P-256 keys, valid for a day, in a temporary directory removed at teardown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './netns.js';
import type { Teardown } from './teardown.js';

export interface CertificateAuthority {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface KeyPair {
  readonly certFile: string;
  readonly keyFile: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** createCa makes a self-signed CA named `cn` in a fresh temporary directory. */
export async function createCa(cn: string, teardown: Teardown): Promise<CertificateAuthority> {
  const dir = mkdtempSync(join(tmpdir(), 'lvscare-pki-'));
  teardown.add(() => rmSync(dir, { recursive: true, force: true }));
  const certFile = join(dir, `${cn}.crt`);
  const keyFile = join(dir, `${cn}.key`);
  await runOk('openssl', [
    'req', '-x509', ...EC, '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { dir, certFile, keyFile };
}

/**
 * issueCert has `ca` sign a server certificate for `cn` carrying `sans` (`DNS:name`, `IP:addr`),
 * written next to the CA as `<file>.crt` and `<file>.key`.
 */
export async function issueCert(ca: CertificateAuthority, file: string, cn: string, sans: readonly string[]): Promise<KeyPair> {
  const certFile = join(ca.dir, `${file}.crt`);
  const keyFile = join(ca.dir, `${file}.key`);
  const csr = join(ca.dir, `${file}.csr`);
  const ext = join(ca.dir, `${file}.ext`);
  writeFileSync(ext, [`subjectAltName=${sans.join(',')}`, 'extendedKeyUsage=serverAuth', 'basicConstraints=CA:FALSE'].join('\n'));
  await runOk('openssl', ['req', ...EC, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${cn}`]);
  await runOk('openssl', ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', ext]);
  return { certFile, keyFile };
}
