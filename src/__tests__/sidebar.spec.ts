/**
 * The one cellflow sidebar (src/sidebar.ts) as a real Lumino widget in jsdom: sections ordered by rank through
 * `addSection`, collapsed and expanded by clicking their titles, and the collapsed ones remembered in a real
 * (in-memory) JupyterLab state database.
 */
import { StateDB } from '@jupyterlab/statedb';
import { AccordionPanel, Widget } from '@lumino/widgets';
import { CellflowSidebar } from '../sidebar';
import { ICellflowSidebar, SIDEBAR_ID, SidebarRank } from '../tokens';

function section(id: string, label: string): Widget {
  const widget = new Widget();
  widget.id = id;
  widget.title.label = label;
  widget.node.textContent = `${label} content`;
  return widget;
}

function titlesOf(sidebar: CellflowSidebar): HTMLElement[] {
  return Array.from(sidebar.node.querySelectorAll<HTMLElement>('.jp-AccordionPanel-title'));
}

/** The section labels as the accordion places them, after checking the DOM (Tab, screen readers) agrees. */
function labelsOf(sidebar: CellflowSidebar): string[] {
  const label = (title: HTMLElement) => title.querySelector('.lm-AccordionPanel-titleLabel')?.textContent ?? '';
  const placed = (sidebar.content as AccordionPanel).titles.map(label);
  expect(titlesOf(sidebar).map(label)).toEqual(placed);
  // Each section's content follows its title.
  const order = Array.from(sidebar.content.node.children).filter(
    node => node.classList.contains('jp-AccordionPanel-title') || node.classList.contains('jp-cellflow-SidebarSection')
  );
  expect(order.map(node => node.textContent)).toEqual(placed.flatMap(text => [text, `${text} content`]));
  return placed;
}

function titleOf(sidebar: CellflowSidebar, id: string): HTMLElement {
  const title = sidebar.node.querySelector<HTMLElement>(`.jp-AccordionPanel-title[data-section="${id}"]`);
  if (!title) {
    throw new Error(`no title for ${id}`);
  }
  return title;
}

const attached: Widget[] = [];
function attach(sidebar: CellflowSidebar): CellflowSidebar {
  Widget.attach(sidebar, document.body);
  attached.push(sidebar);
  return sidebar;
}

afterEach(() => {
  for (const widget of attached.splice(0)) {
    widget.dispose();
  }
});

describe('CellflowSidebar', () => {
  it('is the one sidebar: its id, the pipeline icon and a caption', () => {
    const sidebar = new CellflowSidebar();
    expect(sidebar.id).toBe(SIDEBAR_ID);
    expect(sidebar.title.icon).toBeDefined();
    expect(sidebar.title.caption).toBe('cellflow');
    expect(sidebar.hasClass('jp-SidePanel')).toBe(true);
  });

  it('orders sections by rank, whatever order they are added in; equal ranks keep the order added', () => {
    const sidebar = attach(new CellflowSidebar());
    sidebar.addSection(section('history', 'History'), { rank: SidebarRank.history });
    sidebar.addSection(section('storage', 'Storage'), { rank: SidebarRank.storage });
    sidebar.addSection(section('pipeline', 'Pipeline'), { rank: SidebarRank.pipeline });
    sidebar.addSection(section('run', 'Run'), { rank: SidebarRank.run });
    sidebar.addSection(section('tuning', 'Tuning'), { rank: SidebarRank.tuning });
    sidebar.addSection(section('run-extra', 'Run extra'), { rank: SidebarRank.run });

    expect(sidebar.sectionIds).toEqual(['pipeline', 'run', 'run-extra', 'history', 'tuning', 'storage']);
    // The titles in the DOM follow the same order, each showing its widget's label.
    expect(labelsOf(sidebar)).toEqual(['Pipeline', 'Run', 'Run extra', 'History', 'Tuning', 'Storage']);
  });

  it('refuses a section without an id (its collapsed state could not be remembered)', () => {
    const sidebar = new CellflowSidebar();
    expect(() => sidebar.addSection(new Widget(), { rank: 1 })).toThrow(/stable widget id/);
  });

  it('drops a section when its widget is disposed; later sections still go by rank', () => {
    const sidebar = attach(new CellflowSidebar());
    const run = section('run', 'Run');
    sidebar.addSection(section('pipeline', 'Pipeline'), { rank: 100 });
    sidebar.addSection(run, { rank: 200 });
    sidebar.addSection(section('history', 'History'), { rank: 300 });
    run.dispose();
    sidebar.addSection(section('tuning', 'Tuning'), { rank: 250 });

    expect(sidebar.sectionIds).toEqual(['pipeline', 'tuning', 'history']);
    expect(labelsOf(sidebar)).toEqual(['Pipeline', 'Tuning', 'History']);
  });

  it('collapses and expands a section when its title is clicked, and says so', () => {
    const sidebar = attach(new CellflowSidebar());
    const run = section('run', 'Run');
    sidebar.addSection(section('pipeline', 'Pipeline'), { rank: 100 });
    sidebar.addSection(run, { rank: 200 });
    const toggled: string[] = [];
    sidebar.sectionToggled.connect((_, id) => toggled.push(id));

    expect(sidebar.isExpanded('run')).toBe(true);
    titleOf(sidebar, 'run').click();
    expect(sidebar.isExpanded('run')).toBe(false);
    expect(run.isHidden).toBe(true);
    expect(titleOf(sidebar, 'run').getAttribute('aria-expanded')).toBe('false');
    expect(sidebar.isExpanded('pipeline')).toBe(true);

    titleOf(sidebar, 'run').click();
    expect(sidebar.isExpanded(run)).toBe(true);
    expect(titleOf(sidebar, 'run').getAttribute('aria-expanded')).toBe('true');
    expect(toggled).toEqual(['run', 'run']);
    expect(sidebar.isExpanded('no-such-section')).toBe(false);
  });

  it('showSection opens the sidebar in the shell and expands the section', () => {
    const activated: string[] = [];
    const sidebar = attach(new CellflowSidebar({ shell: { activateById: id => activated.push(id) } }));
    const run = section('run', 'Run');
    sidebar.addSection(run, { rank: 200 });
    sidebar.collapseSection('run');
    expect(sidebar.isExpanded('run')).toBe(false);

    const token: ICellflowSidebar = sidebar;
    token.showSection(run);
    expect(activated).toEqual([SIDEBAR_ID]);
    expect(sidebar.isExpanded('run')).toBe(true);

    // An unknown section only opens the sidebar.
    token.showSection('no-such-section');
    expect(activated).toEqual([SIDEBAR_ID, SIDEBAR_ID]);
  });

  it('remembers collapsed sections in the state database, for a sidebar made after a reload', async () => {
    const state = new StateDB();
    const first = attach(new CellflowSidebar({ state }));
    await first.restored;
    first.addSection(section('pipeline', 'Pipeline'), { rank: 100 });
    first.addSection(section('run', 'Run'), { rank: 200 });
    first.addSection(section('history', 'History'), { rank: 300 });
    titleOf(first, 'history').click();
    titleOf(first, 'pipeline').click();
    titleOf(first, 'pipeline').click();
    await waitForSave(state, ['history']);

    // After a reload: one section added before the state is read, the others after.
    const second = attach(new CellflowSidebar({ state }));
    second.addSection(section('history', 'History'), { rank: 300 });
    await second.restored;
    second.addSection(section('pipeline', 'Pipeline'), { rank: 100 });
    second.addSection(section('run', 'Run'), { rank: 200 });
    expect(second.isExpanded('history')).toBe(false);
    expect(second.isExpanded('pipeline')).toBe(true);
    expect(second.isExpanded('run')).toBe(true);
    expect(titleOf(second, 'history').getAttribute('aria-expanded')).toBe('false');
  });

  it('keeps the remembered state of a section that is not added this time', async () => {
    const state = new StateDB();
    await state.save('cellflow:sidebar', { collapsed: ['tuning'] });
    const sidebar = attach(new CellflowSidebar({ state }));
    await sidebar.restored;
    sidebar.addSection(section('run', 'Run'), { rank: 200 });
    titleOf(sidebar, 'run').click();
    await waitForSave(state, ['run', 'tuning']);
  });

  it('starts every section expanded when the state database has nothing or something unreadable', async () => {
    const state = new StateDB();
    await state.save('cellflow:sidebar', { collapsed: 'run' });
    const sidebar = attach(new CellflowSidebar({ state }));
    await sidebar.restored;
    sidebar.addSection(section('run', 'Run'), { rank: 200 });
    expect(sidebar.isExpanded('run')).toBe(true);
  });
});

/** Saving is asynchronous (after the first read); waits until the database holds `collapsed`. */
async function waitForSave(state: StateDB, collapsed: string[]): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const saved = (await state.fetch('cellflow:sidebar')) as { collapsed?: string[] } | undefined;
    if (JSON.stringify(saved?.collapsed) === JSON.stringify(collapsed)) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(await state.fetch('cellflow:sidebar')).toEqual({ collapsed });
}
