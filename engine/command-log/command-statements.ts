import type { Statement } from '../../parser/ast.js';

/**
 * Statements that go through the command topic: those that change the catalog or start or
 * stop a persistent query. Listing, INSERT VALUES, SET and DEFINE act at once on one server.
 */
const COMMAND_KINDS: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'CreateStream',
  'CreateTable',
  'CreateStreamAsSelect',
  'CreateTableAsSelect',
  'InsertInto',
  'DropStream',
  'DropTable',
  'TerminateQuery',
  'RegisterType',
  'DropType',
  'AlterSource',
]);

export function isCommandStatement(statement: Statement): boolean {
  return COMMAND_KINDS.has(statement.kind);
}
