/** A prescriber's referral is made in their organisation's name, with them as its contact: their record says both. */
export interface Referrer {
  name: string;
  email: string;
  /** A prescriber's organisation (PRESCRIBERS code); none for the PLIE's own staff. */
  organisation: string | null;
}

/** The referral's values with the prescriber's organisation and contact put in (what they typed for these is ignored). */
export function signedByReferrer<T extends Record<string, unknown>>(values: T, by: Referrer): T {
  if (!by.organisation) return values;
  // The record keeps 200 characters of contact: the address alone when the name would not fit.
  const contact = `${by.name} <${by.email}>`;
  return { ...values, prescriber: by.organisation, prescriberContact: contact.length <= 200 ? contact : by.email };
}
