/** Binary data up to this size stays inside the v8 file; larger goes to a blob file. */
export const inlineByteLimit = 64 * 1024;
