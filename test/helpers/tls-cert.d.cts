export declare function selfSignedCert(
  dir: string,
  names?: string[],
): { keyPath: string; certPath: string; key: Buffer; cert: Buffer };
