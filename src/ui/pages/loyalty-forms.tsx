/** Form parts of the bonus program's setup pages: a labelled select, and the rows of a rule or challenge table. */
import type { FieldErrors, FormValues } from '../forms';
import { Field } from '../layout';

/** A labelled select of `options` with its error; `empty` adds a first option with value ''. */
export function SelectField(props: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  values: FormValues;
  errors: FieldErrors;
  empty?: string;
}) {
  const { name, errors } = props;
  return (
    <div class="field">
      <label for={`f-${name}`}>{props.label}</label>
      <select id={`f-${name}`} name={name} aria-invalid={errors[name] ? 'true' : undefined}>
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {props.options.map((option) => (
          <option value={option.value} selected={props.values[name] === option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {errors[name] && <span class="error">{errors[name]}</span>}
    </div>
  );
}

/** A text field showing what was typed and its error. */
export const TextField = (props: {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  attrs?: Record<string, string | number>;
  required?: boolean;
}) => (
  <Field
    name={props.name}
    label={props.label}
    value={props.values[props.name]}
    error={props.errors[props.name]}
    required={props.required}
    attrs={props.attrs}
  />
);
