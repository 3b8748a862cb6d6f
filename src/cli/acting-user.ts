import type { Actor } from '../actor.js';

/** What the commands need to find the user named by --as. */
export interface ActingUserLookup {
  idOfUsername(name: string): Promise<number | undefined>;
  findWithReach(id: number): Promise<Actor | undefined>;
}

/**
 * The user named by `--as` as an actor (id, role, reach), undefined when there is none. What that user may do
 * is the service's to decide, as for a request from the web.
 */
export async function actorNamed(users: ActingUserLookup, username: string): Promise<Actor | undefined> {
  const id = await users.idOfUsername(username);
  const user = id === undefined ? undefined : await users.findWithReach(id);
  return user && { id: user.id, role: user.role, reach: user.reach };
}
