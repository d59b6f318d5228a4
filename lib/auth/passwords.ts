import bcrypt from "bcryptjs";

/** bcrypt with cost 10: ~60 ms per check on these machines; raise when hardware allows. */
export const passwordHashCost = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, passwordHashCost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
