export async function validateCommand(): Promise<never> { throw new Error("pending"); }
