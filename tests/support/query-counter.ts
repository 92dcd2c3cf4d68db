import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Counts the statements Gatehouse sends to the database (a kysely plugin sees each one as it is compiled). */
export function queryCounter() {
  const kinds: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      kinds.push(args.node.kind);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return args.result;
    },
  };
  return {
    plugin,
    /** Statements sent while `run` ran (other work in flight at the same time would count too: tests await quietly). */
    async during<T>(run: () => Promise<T>): Promise<{ result: T; count: number; kinds: string[] }> {
      const start = kinds.length;
      const result = await run();
      return { result, count: kinds.length - start, kinds: kinds.slice(start) };
    },
  };
}
