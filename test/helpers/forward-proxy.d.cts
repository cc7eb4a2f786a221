export interface ForwardProxy {
  port: number;
  url: string;
  seen: { method: string; target: string }[];
  close(): Promise<void>;
}
export declare function startForwardProxy(opts?: {
  route?: (host: string, port: number) => { host: string; port: number };
  refuse?: boolean;
}): Promise<ForwardProxy>;
