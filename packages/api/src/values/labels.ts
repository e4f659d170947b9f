// Kubernetes name and label syntax (k8s.io/apimachinery/pkg/util/validation).

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label value is invalid, or undefined when it is valid. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return "must be empty or start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between";
  }
  return undefined;
}

/** Why a label key (optionally prefixed, `example.com/name`) is invalid, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'has a prefix that is not a DNS subdomain (lower case letters, digits, - and .)';
  }
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1 to 63 characters';
  if (!NAME_PART.test(name)) {
    return "must start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between";
  }
  return undefined;
}

export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be at most 63 characters';
  if (!DNS1123_LABEL.test(name)) {
    return "must consist of lower case letters, digits and '-', and start and end with a letter or digit";
  }
  return undefined;
}

export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be at most 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "must consist of lower case letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}
