export declare const DEFAULT_HEAP_MB: number;
export declare function heapMb(env?: NodeJS.ProcessEnv): number;
export declare function heapArgs(env?: NodeJS.ProcessEnv, execArgv?: string[]): string[];
