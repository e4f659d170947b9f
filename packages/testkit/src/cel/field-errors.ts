/**
 * Field errors as k8s.io/apimachinery's field package words them, for the x-kubernetes-validations
 * results: `Invalid value: "object": <detail>` (the value shown is the schema type of the node, as the API
 * server passes it), `Forbidden: <detail>`, `Required value: <detail>`, `Duplicate value: "<type>"`.
 * A path of nil (the root of the object) prints as `<nil>`, as Go's `(*field.Path).String()` does.
 */
import type { StatusCause } from '../semantics/status';

export const ROOT_FIELD = '<nil>';

/** Go's %q of a string, for the simple strings that appear here. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

export function fieldInvalid(field: string, typeName: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${quoted(typeName)}: ${detail}`, field };
}

/** The error a failed rule gives, by its `reason` (FieldValueInvalid when unset). */
export function ruleFailure(
  reason: string | undefined,
  field: string,
  typeName: string,
  detail: string,
): StatusCause {
  switch (reason) {
    case 'FieldValueForbidden':
      return { reason, message: `Forbidden: ${detail}`, field };
    case 'FieldValueRequired':
      return { reason, message: `Required value: ${detail}`, field };
    case 'FieldValueDuplicate':
      return { reason, message: `Duplicate value: ${quoted(typeName)}`, field };
    default:
      return fieldInvalid(field, typeName, detail);
  }
}

/** `field: body`, as `(*field.Error).Error()` (the text of a warning). */
export function errorText(cause: StatusCause): string {
  return `${cause.field ?? ROOT_FIELD}: ${cause.message ?? ''}`;
}
