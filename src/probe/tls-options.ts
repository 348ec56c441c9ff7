/**
 * TlsSettings: the spec's TLS part, validated once and turned into node:tls options.
 *
 * Verification (when `insecureSkipVerify` is false) checks the chain against `caPem` (or Node's
 * roots) and the certificate's names against `serverName` when given, else against the target IP
 * (its IP subjectAltNames, as kubeadm's apiserver certificate has). `serverName` is also the SNI,
 * unless it is an IP address (RFC 6066 allows no IP in SNI); without it no SNI is sent. The name is
 * checked by our own `checkServerIdentity`, so nothing else (a Host header, say) can change it.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { checkServerIdentity, createSecureContext, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { ProbeError } from './errors.js';
import type { TlsProbeSpec } from './spec.js';

export interface TlsSettings {
  /** node:tls options without host, port or SNI (the connector adds those per probe). */
  readonly options: ConnectionOptions;
  /** SNI to send, if any. */
  readonly sni: string | undefined;
  /** Name the certificate must carry; undefined means the target IP. */
  readonly verifyName: string | undefined;
}

/** tlsSettings validates the PEM material (ProbeError) and builds the settings. */
export function tlsSettings(tls: TlsProbeSpec): TlsSettings {
  const verify = tls.insecureSkipVerify === false;
  if ((tls.certPem === undefined) !== (tls.keyPem === undefined)) {
    throw new ProbeError(tls.certPem === undefined ? 'tls.certPem' : 'tls.keyPem', 'a client certificate needs both certPem and keyPem');
  }
  if (verify && tls.caPem !== undefined) checkCaBundle(tls.caPem);
  if (tls.certPem !== undefined) checkKeyPair(tls.certPem, tls.keyPem ?? '');
  const options: ConnectionOptions = {
    rejectUnauthorized: verify,
    ...(verify && tls.caPem !== undefined ? { ca: tls.caPem } : {}),
    ...(tls.certPem !== undefined ? { cert: tls.certPem, key: tls.keyPem } : {}),
    ALPNProtocols: ['http/1.1'],
  };
  const name = tls.serverName;
  return { options, sni: name !== undefined && isIP(name) === 0 ? name : undefined, verifyName: name };
}

/** identityChecker verifies the certificate against `verifyName`, or the target IP without one. */
export function identityChecker(settings: TlsSettings, targetIp: string): (host: string, cert: PeerCertificate) => Error | undefined {
  const name = settings.verifyName ?? targetIp;
  return (_host, cert) => checkServerIdentity(name, cert);
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** checkCaBundle parses each CA block: node:tls silently ignores a bundle with no certificate. */
function checkCaBundle(pem: string): void {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ProbeError('tls.caPem', 'holds no PEM certificate');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ProbeError('tls.caPem', `certificate ${i + 1} cannot be parsed: ${messageOf(err)}`, { cause: err });
    }
  });
}

/** checkKeyPair loads the client certificate and key once, which also checks that they match. */
function checkKeyPair(certPem: string, keyPem: string): void {
  try {
    createSecureContext({ cert: certPem, key: keyPem });
  } catch (err) {
    throw new ProbeError('tls.certPem/keyPem', `cannot be loaded: ${messageOf(err)}`, { cause: err });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
