import type { Role } from './vocabulary/roles.js';

/** Who is acting: services take it to check permissions and to record created_by / changed_by. */
export interface Actor {
  readonly id: number;
  readonly role: Role;
}
