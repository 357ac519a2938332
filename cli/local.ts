export async function startLocal(): Promise<number> {
  process.stderr.write('sluice: the REPL is not yet available in this version of Sluice.\n');
  return 2;
}
