/** Signing failed: a bad input, a device that signed something else, a time-stamp authority that refused. */
export class SignError extends Error {}
