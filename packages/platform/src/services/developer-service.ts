// Developer accounts.
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { Store } from "../repositories";
import { isUniqueViolation } from "./unique-violation";

export type DeveloperView = { id: string; email: string; name: string; createdAt: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class DeveloperService {
  constructor(private readonly store: Store) {}

  async create(input: { email: string; name: string }): Promise<DeveloperView> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw new ValidationError("email_invalid", "expected an email address", [{ path: "email", message: "not an email" }]);
    if (input.name.trim().length === 0) throw new ValidationError("name_invalid", "a developer needs a name", [{ path: "name", message: "empty" }]);
    try {
      return view(await this.store.repos.developers.create({ email, name: input.name.trim() }));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("developer_exists", `a developer with email ${email} exists`);
      throw err;
    }
  }

  async get(id: string): Promise<DeveloperView> {
    const row = await this.store.repos.developers.findById(id);
    if (!row) throw new NotFoundError("developer_not_found", `no developer ${id}`);
    return view(row);
  }

  async findByEmail(email: string): Promise<DeveloperView | null> {
    const row = await this.store.repos.developers.findByEmail(email.trim().toLowerCase());
    return row ? view(row) : null;
  }
}

function view(row: { id: string; email: string; name: string; createdAt: Date }): DeveloperView {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt.toISOString() };
}
