// Copy a value as JSON: drops undefined members (canonical JSON rejects them)
// and cuts every reference to objects the suite or the runtime still hold.
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
