import { SETTINGS, type Setting } from './settings.js';

/** A raw value with where it came from, so problems can name the exact setting to change. */
export interface RawValue {
  readonly value: unknown;
  readonly source: string;
}

/**
 * Merges the YAML document and the environment into one path -> value map.
 * The environment wins (as in OpenMetadata, where the YAML references env variables).
 */
export class RawSource {
  private readonly values = new Map<string, RawValue>();

  constructor(
    private readonly yaml: Record<string, unknown>,
    env: Readonly<Record<string, string | undefined>>,
    readonly fileLabel: string,
  ) {
    for (const setting of SETTINGS) {
      const fromYaml = getPath(yaml, setting.path);
      if (fromYaml !== undefined && fromYaml !== null) {
        this.values.set(setting.path, { value: fromYaml, source: `${setting.path} in ${fileLabel}` });
      }
      for (const name of setting.env) {
        const text = env[name];
        if (text !== undefined && text.trim() !== '') {
          this.values.set(setting.path, { value: text.trim(), source: name });
          break;
        }
      }
    }
  }

  get(path: string): RawValue | undefined {
    return this.values.get(path);
  }

  /** The label to use in a problem for a setting that was not given at all. */
  label(path: string): string {
    const setting: Setting | undefined = SETTINGS.find((x) => x.path === path);
    const envName = setting?.env[0];
    return envName ? `${envName} (or ${path} in ${this.fileLabel})` : `${path} in ${this.fileLabel}`;
  }

  /** A YAML-only subtree such as authentication.providers. */
  yamlValue(path: string): unknown {
    return getPath(this.yaml, path);
  }
}

function getPath(tree: Record<string, unknown>, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
