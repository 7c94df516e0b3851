export function sourceFingerprint(root?: string): string;
export function isBuildCurrent(root?: string): boolean;
