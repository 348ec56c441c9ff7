/**
 * Offline, strict validation of Kubernetes manifests against the Kubernetes API schemas.
 *
 * The schemas come from `kubernetes-models`: one ajv validator per kind, generated from the
 * Kubernetes OpenAPI document, imported as `kubernetes-models/<apiVersion>/<Kind>` (its folders
 * are the API versions). Those validators check types, formats (quantities, int-or-string) and
 * required fields, but, like the API's own schema, let unknown fields through, where the API
 * server's strict field validation (and `kubectl apply`'s default) refuses them. So a second pass
 * finds unknown fields by asking the same schema: a field is known when replacing its value with
 * one no schema type accepts (a symbol) makes the validator complain at that field's path. A field
 * whose schema accepts anything (none in our manifests) would therefore be reported as unknown:
 * the check errs on the strict side. The unknown-field pass runs only on an object the schema
 * accepts (it needs a valid object to tell complaints apart), so fix schema errors first.
 */
import { parseAllDocuments } from 'yaml';

/** SchemaProblem is one thing wrong with a manifest: where (a JSON pointer) and what. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
}

type Validate = (doc: unknown) => readonly AjvError[];

/** KubernetesDocument is one YAML document of a manifest file, parsed. */
export interface KubernetesDocument {
  readonly index: number;
  readonly value: unknown;
}

/** parseManifest reads every non-empty YAML document of a file; YAML errors (duplicate keys too) throw. */
export function parseManifest(text: string, path: string): KubernetesDocument[] {
  return parseAllDocuments(text, { uniqueKeys: true })
    .map((doc, index) => {
      const error = doc.errors[0];
      if (error !== undefined) throw new Error(`${path}: document ${index}: ${error.message}`);
      return { index, value: doc.toJS() as unknown };
    })
    .filter((doc) => doc.value !== null && doc.value !== undefined);
}

/** validateKubernetesObject returns every schema problem of one object, unknown fields included; [] when valid. */
export async function validateKubernetesObject(doc: unknown): Promise<SchemaProblem[]> {
  if (!isObject(doc) || typeof doc['apiVersion'] !== 'string' || typeof doc['kind'] !== 'string') {
    return [{ path: '', message: 'not a Kubernetes object: needs apiVersion and kind strings' }];
  }
  const validate = await validatorFor(doc['apiVersion'], doc['kind']);
  if (validate === undefined) return [{ path: '', message: `no schema for apiVersion ${doc['apiVersion']}, kind ${doc['kind']}` }];
  const errors = validate(doc);
  if (errors.length > 0) return errors.map((e) => ({ path: e.instancePath, message: e.message ?? 'is invalid' }));
  const probed = structuredClone(doc);
  return unknownFields(probed, '', validate, probed).map((path) => ({ path, message: 'unknown field' }));
}

/** validatorFor imports the model class of an API version and kind; undefined when there is none. */
async function validatorFor(apiVersion: string, kind: string): Promise<Validate | undefined> {
  if (!/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  let model: unknown;
  try {
    model = ((await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, unknown>)[kind];
  } catch {
    return undefined;
  }
  if (typeof model !== 'function') return undefined;
  const Model = model as new (data: unknown) => { validate(): void };
  return (doc) => {
    try {
      new Model(doc).validate();
      return [];
    } catch (err) {
      const errors = (err as { errors?: AjvError[] }).errors;
      return errors ?? [{ instancePath: '', message: String(err) }];
    }
  };
}

/**
 * unknownFields lists the JSON pointers of the fields of `node` (and below) that the schema does
 * not know: a field is known when the validator rejects a symbol put in its place at its path.
 */
function unknownFields(node: unknown, path: string, validate: Validate, root: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => unknownFields(item, `${path}/${i}`, validate, root));
  if (!isObject(node)) return [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}/${escapePointer(key)}`;
    node[key] = Symbol('probe');
    const complaints = validate(root).filter((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`));
    node[key] = value;
    if (complaints.length === 0) unknown.push(at);
    else unknown.push(...unknownFields(value, at, validate, root));
  }
  return unknown;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
