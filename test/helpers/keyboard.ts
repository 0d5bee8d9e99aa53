/**
 * Driving a page with the keyboard alone, as someone who cannot use a mouse: every control is reached
 * by Tab from where the focus stands (so it must be in the tab order), then used with the keys a
 * person would press: Enter on links and buttons, typing in fields, arrows in lists, digits in dates.
 */
import type { Locator, Page } from 'playwright-core';

/** More Tab presses than any console page has stops: beyond, the control is out of the tab order. */
const MAX_TABS = 250;

/** The little of the DOM these functions read in the page (the project's types have no DOM). */
interface InPage {
  ownerDocument: { activeElement: unknown } | null;
}
const isFocused = (target: Locator) => target.evaluate((element: InPage) => element === element.ownerDocument?.activeElement);

export function byKeyboard(page: Page) {
  /** Presses Tab until `target` has the focus. */
  async function tabTo(target: Locator): Promise<void> {
    await target.waitFor({ state: 'visible' });
    for (let i = 0; i < MAX_TABS; i++) {
      if (await isFocused(target)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Jamais atteint au clavier : ${target.toString()}`);
  }

  /** Enter on the control, and the page it leads to loaded. */
  async function enterAndLoad(): Promise<void> {
    const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
    await page.keyboard.press('Enter');
    await navigated;
    await page.waitForLoadState('load');
  }

  return {
    tabTo,
    /** Follows a link or presses a button that leads to another page (or the same one, answered). */
    async activate(target: Locator): Promise<void> {
      await tabTo(target);
      await enterAndLoad();
    },
    /** Types into a text field, replacing what it held. */
    async type(target: Locator, text: string): Promise<void> {
      await tabTo(target);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type(text);
    },
    /**
     * Types a day into a date field, segment by segment in the order the field shows them, which
     * follows the browser's language (JJ/MM/AAAA, or MM/DD/YYYY): a first entry tells which.
     */
    async date(target: Locator, day: string): Promise<void> {
      const [year, month, dayOfMonth] = day.split('-');
      await tabTo(target);
      await page.keyboard.type('01022000');
      const dayFirst = (await target.inputValue()) === '2000-02-01';
      // Back to the first segment, and the day typed over.
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type(dayFirst ? `${dayOfMonth}${month}${year}` : `${month}${dayOfMonth}${year}`);
      const value = await target.inputValue();
      if (value !== day) throw new Error(`Date saisie au clavier : ${value}, attendu ${day}`);
    },
    /** Ticks or unticks a box with the space bar. */
    async toggle(target: Locator): Promise<void> {
      await tabTo(target);
      await page.keyboard.press('Space');
    },
    /** Moves through a list with the arrows until `value` (or the option at `index`) is chosen. */
    async choose(target: Locator, choice: string | { index: number }): Promise<void> {
      await tabTo(target);
      const values = await target.locator('option').evaluateAll((options: Array<{ value: string }>) => options.map((o) => o.value));
      const wanted = typeof choice === 'string' ? values.indexOf(choice) : choice.index;
      const value = values[wanted];
      if (value === undefined) throw new Error(`Option absente : ${JSON.stringify(choice)}`);
      await page.keyboard.press('Home');
      for (let i = 0; i < wanted; i++) await page.keyboard.press('ArrowDown');
      const chosen = await target.inputValue();
      if (chosen !== value) throw new Error(`Choisi au clavier : ${chosen}, attendu ${value}`);
    },
  };
}
