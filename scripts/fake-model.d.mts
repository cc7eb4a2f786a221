export declare const SAMPLE_GAPS: [RegExp, string][];
export declare function sampleAnswer(prompt: string): string;
export declare function startFakeModel(
  port: number,
): Promise<{ port: number; baseUrl: string; close(): Promise<void> }>;
