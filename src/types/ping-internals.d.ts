/**
 * The `ping` package's own argument builder and output parser, which src/system/probes.ts uses
 * so that the program itself is started by exec.ts (logged, whitelisted environment, bounded).
 */
declare module 'ping/lib/builder/factory.js' {
  import type { PingConfig } from 'ping';
  const factory: {
    getExecutablePath(platform: string, v6: boolean): string;
    createBuilder(platform: string): { getCommandArguments(target: string, config: PingConfig): string[] };
  };
  export default factory;
}

declare module 'ping/lib/parser/factory.js' {
  import type { PingConfig, PingResponse } from 'ping';
  const factory: {
    createParser(address: string, platform: string, config: PingConfig): { eat(line: string): void; getResult(): PingResponse };
  };
  export default factory;
}
