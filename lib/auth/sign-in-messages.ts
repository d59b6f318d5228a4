// What the sign-in form says, shared by the server (the page) and the browser (the form). Neither reveals whether an
// account exists: an unknown e-mail is counted, locked and refused exactly as a known one.

/** The error code next-auth hands the sign-in form when sign-in is paused for the account or the address. */
export const signInPausedCode = "SignInPaused";

export const signInPausedMessage =
  "Too many failed sign-ins: sign-in is paused for this account or from this address. Try again later, or ask an admin to lift the lock.";

export const signInFailedMessage = "Email or password is incorrect, or the account is disabled.";
