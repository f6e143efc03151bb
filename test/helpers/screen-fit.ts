/**
 * Checks of a screen captured at a narrow width against the same screen captured wide: what a
 * newcomer at an 80-column terminal sees must have no line wider than the terminal (it would
 * wrap mid-word) and every word whole.
 */

const boxDrawing = /^[─│╭╮╰╯]+$/;

/** Lines wider than `columns`, counted in characters (what we print is one column each). */
export function overlongLines(screen: string, columns: number): string[] {
  return screen.split('\n').filter((line) => [...line].length > columns);
}

/** Numbers (round trips, times) and the runs' own folders differ between two runs; words do not. */
function words(screen: string, folders: string[]): Set<string> {
  let text = screen;
  for (const folder of folders) text = text.split(folder).join('DIR');
  return new Set(
    text
      .replace(/\d+/g, '0')
      .split(/\s+/)
      .filter((word) => word !== '' && !boxDrawing.test(word)),
  );
}

/**
 * Words of the wide screen that the narrow one lacks. A word the narrow screen broke across two
 * lines ("requirem" / "ents") is missing from it, so it shows up here.
 */
export function splitWords(narrow: { screen: string; folder: string }, wide: { screen: string; folder: string }): string[] {
  const folders = [narrow.folder, wide.folder];
  const have = words(narrow.screen, folders);
  return [...words(wide.screen, folders)].filter((word) => !have.has(word));
}
