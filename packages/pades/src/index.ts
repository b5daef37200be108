export * from './appearance.ts';
export { subjectCommonName } from './cms.ts';
export * from './p12.ts';
export * from './sign.ts';
export * from './types.ts';
