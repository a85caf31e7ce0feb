// Types for scripts/native.mjs (imported by the tests).
export declare const MODULE: string;
export declare const BINARY: string;
export declare function moduleDir(root: string): string;
export declare function nativeFile(dir: string): string;
export declare function markerFile(dir: string): string;
export declare function readMarker(dir: string): string | null;
export declare function clearMarker(dir: string): string | null;
export declare function builtAbi(file: string): number | null;
export declare function electronAbi(version: string): Promise<number>;
export declare function checkPackagedNative(opts: { appOutDir: string; electronVersion: string }): Promise<string[]>;
