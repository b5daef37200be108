export {
  type FieldType,
  FormDefinition,
  type FormDefinitionInput,
  FormField,
  type GroupField,
  type LeafField,
  ShowIf,
} from './definition.ts';
export { birthRegistrationForm } from './samples.ts';
export {
  ADDRESS_PARTS,
  type AddressValue,
  type AdminUnit,
  type FormValues,
  groupRowCount,
  isShown,
  knownRaw,
  type LeafValue,
  MAX_VALUE_LENGTH,
  parseViDate,
  type RawValues,
  rowName,
  type ValidateContext,
  type ValidationResult,
  validateForm,
  viDateOf,
} from './validate.ts';
