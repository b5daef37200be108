export * from './p12.ts';
export * from './sign.ts';
export * from './types.ts';
