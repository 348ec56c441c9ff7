/**
 * patchKubeadmConfig: make a kubeadm config file fit lvscare, keeping everything else.
 *
 * - ClusterConfiguration: `controlPlaneEndpoint: apiserver.cluster.local:6443`, and
 *   `apiServer.certSANs` holding the VIP, 127.0.0.1, apiserver.cluster.local and every master
 *   (existing SANs stay, first; nothing is listed twice).
 * - KubeProxyConfiguration: `mode: ipvs`, and `ipvs.excludeCIDRs` holding VIP/32 (/128 for
 *   IPv6), or kube-proxy deletes lvscare's virtual server as one it does not know.
 * - A missing document is appended (a ClusterConfiguration of the file's kubeadm version).
 *
 * Edited with the `yaml` Document API, so comments, unknown fields, key order and quoting
 * survive; only the values set here are new. Every document must be of a known apiVersion and
 * kind (kubeadm-kinds.ts), else InstallerError LVSCARE_ERR_INSTALL_INPUT and nothing is written.
 */
import { Document, isMap, isScalar, isSeq, parseAllDocuments, type ToStringOptions, type YAMLMap } from 'yaml';
import type { IpAddress } from '../model/endpoint.js';
import { INSTALLER_DEFAULTS } from './defaults.js';
import { InstallerError } from './errors.js';
import { isKubeadmVersion, KUBE_PROXY_API_VERSION, KUBEADM_GROUP, unknownKindProblem, type KubeadmVersion } from './kubeadm-kinds.js';

export interface KubeadmPatch {
  readonly vip: IpAddress;
  /** The masters' addresses, in the order they were given. */
  readonly masters: readonly IpAddress[];
  /** The version of a ClusterConfiguration appended to a file that has no kubeadm document. */
  readonly version: KubeadmVersion;
  /** The file's name, for errors. */
  readonly path: string;
}

type Doc = Document.Parsed | Document;

/** patchKubeadmConfig returns the new text; `text` undefined (no file) renders both documents. */
export function patchKubeadmConfig(text: string | undefined, patch: KubeadmPatch): string {
  const source = text ?? '';
  const docs: Doc[] = parseDocuments(source, patch.path);
  const prefix = docs.length === 0 ? commentsOnly(source) : '';
  const kinds = docs.map((doc, i) => checkKind(doc, i, patch.path));
  const clusterAt = single(kinds, 'ClusterConfiguration', patch.path);
  const proxyAt = single(kinds, 'KubeProxyConfiguration', patch.path);
  const version = kubeadmVersion(kinds, patch) ?? patch.version;
  const cluster = clusterAt ?? docs.push(new Document({ apiVersion: `${KUBEADM_GROUP}/${version}`, kind: 'ClusterConfiguration' })) - 1;
  const proxy = proxyAt ?? docs.push(new Document({ apiVersion: KUBE_PROXY_API_VERSION, kind: 'KubeProxyConfiguration' })) - 1;
  patchCluster(docs[cluster]!, patch);
  patchProxy(docs[proxy]!, patch);
  return prefix + render(docs, source);
}

function parseDocuments(text: string, path: string): Doc[] {
  const parsed = parseAllDocuments(text);
  if (!Array.isArray(parsed)) return [];
  for (const [i, doc] of parsed.entries()) {
    const error = doc.errors[0];
    if (error !== undefined) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', path, `document ${i + 1} is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  return parsed;
}

/** checkKind returns a document's kind (null for an empty document) or refuses an unknown one. */
function checkKind(doc: Doc, i: number, path: string): { kind: string; apiVersion: string } | null {
  if (doc.contents === null) return null;
  const where = `document ${i + 1}`;
  if (!isMap(doc.contents)) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', path, `${where} is not a mapping`);
  const apiVersion = doc.get('apiVersion');
  const kind = doc.get('kind');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', path, `${where} has no apiVersion and kind: lvscare edits only documents it can identify`);
  }
  const problem = unknownKindProblem(apiVersion, kind);
  if (problem !== undefined) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', path, `${where}: ${problem}`);
  return { kind, apiVersion };
}

/** single finds the one document of `kind`, refusing two (which one would kubeadm use?). */
function single(kinds: ReadonlyArray<{ kind: string } | null>, kind: string, path: string): number | undefined {
  const at = kinds.flatMap((k, i) => (k?.kind === kind ? [i] : []));
  if (at.length > 1) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', path, `has ${at.length} ${kind} documents (${at.map((i) => i + 1).join(', ')}); expected at most one`);
  return at[0];
}

/** kubeadmVersion is the kubeadm API version the file uses; mixing versions is refused. */
function kubeadmVersion(kinds: ReadonlyArray<{ apiVersion: string } | null>, patch: KubeadmPatch): KubeadmVersion | undefined {
  const versions = new Set(kinds.flatMap((k) => (k?.apiVersion.startsWith(`${KUBEADM_GROUP}/`) ? [k.apiVersion.slice(KUBEADM_GROUP.length + 1)] : [])));
  if (versions.size > 1) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', patch.path, `mixes kubeadm API versions (${[...versions].join(', ')}); kubeadm reads one`);
  const [version] = versions;
  return version !== undefined && isKubeadmVersion(version) ? version : undefined;
}

function patchCluster(doc: Doc, patch: KubeadmPatch): void {
  doc.set('controlPlaneEndpoint', `${INSTALLER_DEFAULTS.apiserverName}:${INSTALLER_DEFAULTS.apiserverPort}`);
  const wanted = [patch.vip.address, '127.0.0.1', INSTALLER_DEFAULTS.apiserverName, ...patch.masters.map((m) => m.address)];
  addToList(doc, ['apiServer', 'certSANs'], wanted, patch.path);
}

function patchProxy(doc: Doc, patch: KubeadmPatch): void {
  doc.set('mode', 'ipvs');
  addToList(doc, ['ipvs', 'excludeCIDRs'], [`${patch.vip.address}/${patch.vip.family === 4 ? 32 : 128}`], patch.path);
}

/**
 * addToList appends to the sequence at `path` (a mapping key, then a list key) each wanted item
 * it does not hold yet (compared case-insensitively: names and IPv6 text), making the mapping or
 * the list when missing or null. Anything else there is refused rather than overwritten.
 */
function addToList(doc: Doc, path: readonly [string, string], wanted: readonly string[], file: string): void {
  const [mapKey, listKey] = path;
  const parent = doc.get(mapKey, true);
  if (parent === undefined || isNull(parent)) {
    const node = doc.createNode({ [listKey]: [...new Set(wanted)] });
    // `ipvs:   # comment` with no value: the comment moves into the new mapping, first line.
    if (isScalar(parent) && parent.comment) node.commentBefore = parent.comment;
    doc.set(mapKey, node);
    return;
  }
  if (!isMap(parent)) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', file, `${mapKey} is not a mapping`);
  const list = (parent as YAMLMap).get(listKey, true);
  if (list === undefined || isNull(list)) {
    (parent as YAMLMap).set(listKey, doc.createNode([...new Set(wanted)]));
    return;
  }
  if (!isSeq(list)) throw new InstallerError('LVSCARE_ERR_INSTALL_INPUT', file, `${mapKey}.${listKey} is not a list`);
  const have = new Set(list.items.map((item) => String(isScalar(item) ? item.value : item).toLowerCase()));
  for (const item of wanted) {
    if (have.has(item.toLowerCase())) continue;
    have.add(item.toLowerCase());
    list.add(doc.createNode(item));
  }
}

function isNull(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

/**
 * render prints the documents, each after the first with its `---`. Each parsed document keeps
 * the indentation, sequence indentation (`key:\n- a` or `key:\n  - a`) and flow padding (`[a]`
 * or `[ a ]`) it was written with, so the lines lvscare does not change stay as they were;
 * appended documents follow the file's first lines.
 */
function render(docs: readonly Doc[], source: string): string {
  return docs
    .map((doc, i) => {
      if (i > 0 && doc.directives) doc.directives.docStart = true;
      const own = doc.range ? source.slice(doc.range[0], doc.range[2]) : source;
      return doc.toString(styleOf(own));
    })
    .join('');
}

/** styleOf reads how a piece of YAML is laid out (2-space indentation when it cannot tell). */
function styleOf(text: string): ToStringOptions {
  return {
    lineWidth: 0,
    indent: /^[^\s#-][^\n]*:[ \t]*\r?\n( +)[^\s#-]/m.exec(text)?.[1]?.length ?? 2,
    indentSeq: !/^( *)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(text),
    flowCollectionPadding: !/[[{][^\s\]}]/.test(text),
  };
}

/** commentsOnly keeps a file that holds no document (comments, blank lines) ahead of what is added. */
function commentsOnly(source: string): string {
  if (source.trim() === '') return '';
  return source.endsWith('\n') ? source : `${source}\n`;
}
