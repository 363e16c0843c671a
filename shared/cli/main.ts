export async function main(argv: string[]): Promise<number> {
  console.log("tripwire", argv.join(" "));
  return 0;
}
