import type { Db } from "../db/client";
import type { RoleValue } from "../catalog/vocabulary";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: RoleValue;
}

export interface ActionContext {
  db: Db;
  user: SignedInUser;
}

/** A refusal an action body can throw: reported to the caller, audited as failed, nothing committed. */
export class ActionRefusal extends Error {
  constructor(
    message: string,
    /** Messages for the form's fields, when the refusal is about one of them. */
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}
