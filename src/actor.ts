import type { Reach } from './vocabulary/reach.js';
import type { Role } from './vocabulary/roles.js';

/** Who is acting: services take it to check permissions and reach, and to record created_by / changed_by. */
export interface Actor {
  readonly id: number;
  readonly role: Role;
  /** The part of the country the actor may see and change: every service checks it. */
  readonly reach: Reach;
}
