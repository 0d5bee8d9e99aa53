/**
 * The evaluation report for people: Markdown and HTML that read like the PLIE's own bilan (French
 * sentences with the figures), and a spreadsheet with one sheet per section.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { formatFrenchDate } from '../domain/dates.ts';
import { EXIT_TYPE_LABELS, type ExitType } from '../domain/exit-types.ts';
import { COLLECTIVE_KIND_LABELS, type CollectiveKind } from '../domain/collective-actions.ts';
import type { ClauseBreakdown, EvaluationReport } from './evaluation.ts';
import { escapeHtml } from '../html.ts';

const PRESCRIBER_LABELS: Record<string, string> = {
  CD06: 'Conseil Départemental',
  FRANCE_TRAVAIL: 'France Travail',
  MISSION_LOCALE: 'Mission Locale',
  CCAS: 'CCAS',
  COMMUNE_CASA: 'communes et services de la CASA',
  MSD: 'Maisons des Solidarités Départementales',
  SPIP: 'SPIP',
  PARTENAIRE_PDI: 'partenaires du PDI',
  SPONTANE: 'candidatures spontanées',
  AUTRE: 'autres',
};
const BARRIER_LABELS: Record<string, string> = {
  PARCOURS_PRO: 'projet professionnel',
  RECHERCHE_EMPLOI: 'techniques de recherche d’emploi',
  FORMATION: 'formation',
  MOBILITE: 'mobilité',
  SANTE: 'santé',
  GARDE_ENFANTS: 'garde d’enfants',
  LOGEMENT: 'logement',
  LANGUE: 'langue',
  NUMERIQUE: 'numérique',
  BUDGET: 'budget',
  ADMINISTRATIF: 'démarches administratives',
  AUTRE: 'autres',
};
const STEP_LABELS: Record<string, string> = {
  RECHERCHE_EMPLOI: 'recherche d’emploi',
  PROJET_PRO: 'projet professionnel',
  FORMATION: 'formation',
  ATELIER: 'ateliers',
  IMMERSION: 'immersions',
  IAE: 'insertion par l’activité économique',
  LEVEE_FREINS: 'levée de freins',
  EMPLOI_PARCOURS: 'emploi de parcours',
  CREATION_ENTREPRISE: 'création d’entreprise',
  AUTRE: 'autres',
};
const KIND_LABELS: Record<string, string> = { EMPLOI: 'emploi', CREATION: 'création d’entreprise', FORMATION: 'formation' };

const number = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(n);
const percent = (share: number) => `${Math.round(share * 100)} %`;
const sortedEntries = (record: Record<string, number>) => Object.entries(record).sort((a, b) => b[1] - a[1]);

interface Section {
  title: string;
  lines: string[];
  /** A chart where a reader would rather look than read: label → value (and target, if any). */
  chart?: { unit: 'count' | 'share'; bars: Array<{ label: string; value: number; target?: number }> };
}

function sections(report: EvaluationReport): Section[] {
  const { public: pub, referrals, steps, durations, contracts, exits, clauses, objectives } = report;
  return [
    {
      title: 'Le public',
      lines: [
        `Entre le ${formatFrenchDate(report.period.from)} et le ${formatFrenchDate(report.period.to)}, le PLIE a intégré ${pub.integrated} personnes, parmi lesquelles :`,
        `- ${percent(pub.womenShare)} de femmes ;`,
        `- ${percent(pub.lowQualificationShare)} de niveau V ou infra ;`,
        `- ${percent(pub.rsaShare)} d’allocataires du RSA au moment de leur intégration ;`,
        `- ${percent(pub.age26to44Share)} de 26 à 44 ans et ${percent(pub.age45plusShare)} de 45 ans et plus ;`,
        `- ${percent(pub.qpvShare)} d’habitants des quartiers prioritaires.`,
        ...(Object.keys(pub.byCommune).length ? ['Par commune de résidence :', ...sortedEntries(pub.byCommune).map(([commune, n]) => `- ${commune} : ${n}`)] : []),
      ],
    },
    {
      title: 'L’égalité d’accès',
      lines: [
        `Orientés : ${report.equalAccess.oriented.F ?? 0} femmes et ${report.equalAccess.oriented.M ?? 0} hommes ; intégrés : ${report.equalAccess.integrated.F ?? 0} femmes et ${report.equalAccess.integrated.M ?? 0} hommes.`,
        `Parmi les personnes orientées sur la période, ${percent(report.equalAccess.integrationRateWomen)} des femmes et ${percent(report.equalAccess.integrationRateMen)} des hommes ont été intégrés.`,
      ],
    },
    {
      title: 'Les prescripteurs',
      lines: [
        `${referrals.total} personnes ont été orientées sur le PLIE.`,
        ...sortedEntries(referrals.byPrescriber).map(
          ([code, n]) => `- ${PRESCRIBER_LABELS[code] ?? code} : ${n} (${percent(n / Math.max(referrals.total, 1))})`,
        ),
        `${percent(referrals.spontaneousShare)} des personnes se sont présentées de façon spontanée.`,
      ],
      chart: { unit: 'count', bars: sortedEntries(referrals.byPrescriber).map(([code, n]) => ({ label: PRESCRIBER_LABELS[code] ?? code, value: n })) },
    },
    {
      title: 'L’accompagnement',
      lines: [
        `${steps.total} étapes de parcours ont été mobilisées, soit en moyenne ${number(steps.perPerson)} étapes par personne accompagnée.`,
        ...sortedEntries(steps.byType).map(([type, n]) => `- ${STEP_LABELS[type] ?? type} : ${n}`),
        `La durée moyenne de parcours est de ${number(durations.meanMonths)} mois ; pour les sorties positives, elle est de ${number(durations.meanMonthsPositive)} mois ; pour l’ensemble des personnes accompagnées (jusqu’à leur sortie ou la fin de la période), de ${number(durations.meanMonthsAccompanied)} mois.`,
        `${contracts.total} contrats de travail ont été signés, par ${contracts.persons} personnes ; s’y ajoutent ${contracts.iaeTotal} contrats dans les structures de l’insertion par l’activité économique (${contracts.iaePersons} personnes).`,
        `${contracts.brokenDuringTrial} contrat(s) rompu(s) pendant la période d’essai.`,
        ...(report.sectorWishes.length > 0
          ? [`Les souhaits de secteurs les plus fréquents : ${report.sectorWishes.slice(0, 5).map((w) => w.label).join(', ')}.`]
          : []),
      ],
    },
    {
      title: 'Les freins à l’emploi',
      lines: [
        `${report.barriers.foundAtEntry} freins repérés à l’entrée des personnes intégrées sur la période ; ${report.barriers.liftedInPeriod} levés pendant la période.`,
        ...sortedEntries(report.barriers.byCategoryShare).map(([code, s]) => `- ${BARRIER_LABELS[code] ?? code} : ${percent(s)}`),
      ],
      chart: {
        unit: 'share',
        bars: sortedEntries(report.barriers.byCategoryShare).map(([code, s]) => ({ label: BARRIER_LABELS[code] ?? code, value: s })),
      },
    },
    {
      title: 'Les sorties',
      lines: [
        `${exits.total} personnes sont sorties du PLIE, dont ${exits.positive} sorties positives (${percent(exits.positiveShare)}).`,
        `Sorties positives : ${Object.entries(exits.byKind).map(([k, n]) => `${n} en ${KIND_LABELS[k] ?? k} (${percent(n / Math.max(exits.positive, 1))})`).join(', ') || 'aucune'} ; ${exits.cdiAmongEmployment} CDI parmi les sorties en emploi (${percent(exits.cdiAmongEmployment / Math.max(exits.byKind.EMPLOI, 1))}).`,
        `${exits.positiveWithoutProofs} sorties positives n’ont pas encore leurs justificatifs (${percent(exits.positiveWithoutProofs / Math.max(exits.positive, 1))}), dont ${exits.positiveDeclared} déclarées par la personne sans justificatif.`,
      ],
      chart: {
        unit: 'count',
        bars: sortedEntries(exits.byType).map(([type, n]) => ({ label: EXIT_TYPE_LABELS[type as ExitType] ?? type, value: n })),
      },
    },
    {
      title: 'Les clauses d’insertion',
      lines: [
        `${clauses.marches} marchés, ${clauses.contracts} contrats pour ${clauses.persons} personnes, ${clauses.hours} heures d’insertion réalisées ; ${percent(clauses.btpShare)} des contrats dans le BTP.`,
        `${clauses.marchesFollowed} marchés suivis sur la période (en cours pendant au moins un jour) ; ${number(clauses.hoursValidatedInPeriod)} heures travaillées sur la période, validées mois par mois.`,
        'Par acheteur :',
        ...clauses.byBuyer.map(breakdownLine),
        'Par secteur :',
        ...clauses.bySector.map((b) => breakdownLine({ ...b, key: SECTOR_LABELS[b.key] ?? b.key })),
      ],
      chart: { unit: 'count', bars: clauses.byBuyer.map((b) => ({ label: b.key, value: b.hours })) },
    },
    {
      title: 'La relation entreprise',
      lines: [
        `Offres d’emploi : ${report.relation.misesEnRelation} mise(s) en relation, dont ${report.relation.hires} embauche(s).`,
        report.relation.collectiveActions.length ? 'Actions collectives :' : 'Aucune action collective sur la période.',
        ...report.relation.collectiveActions.map(
          (a) => `- ${formatFrenchDate(a.date)}, ${(COLLECTIVE_KIND_LABELS[a.kind as CollectiveKind] ?? a.kind).toLowerCase()} « ${a.title} » : ${a.present} participant${a.present > 1 ? 's' : ''} présent${a.present > 1 ? 's' : ''}, ${a.misesEnRelation} mise${a.misesEnRelation > 1 ? 's' : ''} en relation, ${a.hires} embauche${a.hires > 1 ? 's' : ''}`,
        ),
      ],
    },
    {
      title: 'Le rythme des actions',
      lines: report.pace.length
        ? report.pace.map((m) => `- ${m.month} : ${m.steps} étape(s), ${m.contracts} contrat(s), ${m.exits} sortie(s)`)
        : ['Aucune action sur la période.'],
      chart: { unit: 'count', bars: report.pace.map((m) => ({ label: m.month, value: m.steps + m.contracts + m.exits })) },
    },
    {
      title: 'Les objectifs du protocole',
      lines: [
        `Personnes accompagnées : ${objectives.accompanied} (objectif ${objectives.targets.accompanied}), dont ${objectives.accompaniedRsa} allocataires du RSA (objectif ${objectives.targets.accompaniedRsa}).`,
        ...(objectives.proratedTargets && objectives.protocol
          ? [
              `La période couvre ${percent(objectives.periodShareOfProtocol ?? 0)} du protocole (du ${formatFrenchDate(objectives.protocol.from)} au ${formatFrenchDate(objectives.protocol.to)}) : objectifs à proportion, ${objectives.proratedTargets.accompanied} personnes accompagnées dont ${objectives.proratedTargets.accompaniedRsa} allocataires du RSA.`,
            ]
          : []),
        `Sorties positives parmi les sorties : ${percent(objectives.positiveExitShare)} (objectif ${percent(objectives.targets.positiveExitShare)}).`,
        `Participants ayant signé un contrat de travail : ${percent(objectives.withContractShare)} (objectif ${percent(objectives.targets.withContractShare)}).`,
      ],
      chart: {
        unit: 'share',
        bars: [
          // Against the part of the targets that falls in the period, when the protocol's dates are known.
          { label: 'accompagnés', value: objectives.accompanied / Math.max(objectives.proratedTargets?.accompanied ?? objectives.targets.accompanied, 1), target: 1 },
          { label: 'dont RSA', value: objectives.accompaniedRsa / Math.max(objectives.proratedTargets?.accompaniedRsa ?? objectives.targets.accompaniedRsa, 1), target: 1 },
          { label: 'sorties positives', value: objectives.positiveExitShare, target: objectives.targets.positiveExitShare },
          { label: 'avec contrat', value: objectives.withContractShare, target: objectives.targets.withContractShare },
        ],
      },
    },
  ];
}

const SECTOR_LABELS: Record<string, string> = { BTP: 'Bâtiment et travaux publics', AUTRE: 'Autres secteurs' };

function breakdownLine(b: ClauseBreakdown): string {
  return `- ${b.key} : ${b.hours} heures, ${b.marches} marché${b.marches > 1 ? 's' : ''}, ${b.contracts} contrat${b.contracts > 1 ? 's' : ''}, ${b.persons} personne${b.persons > 1 ? 's' : ''}`;
}

export function renderMarkdown(report: EvaluationReport): string {
  const body = sections(report).map((s) => `## ${s.title}\n\n${s.lines.join('\n')}\n`);
  return `# Bilan du PLIE — du ${formatFrenchDate(report.period.from)} au ${formatFrenchDate(report.period.to)}\n\n${body.join('\n')}`;
}


/** A horizontal bar chart as inline SVG (no script, readable offline and printable). */
function svgBars(title: string, chart: NonNullable<Section['chart']>): string {
  const max = Math.max(...chart.bars.map((b) => Math.max(b.value, b.target ?? 0)), chart.unit === 'share' ? 1 : 1);
  const rowHeight = 26;
  const width = 640;
  const labelWidth = 230;
  const barSpace = width - labelWidth - 70;
  const rows = chart.bars.map((bar, i) => {
    const y = i * rowHeight;
    const w = (bar.value / max) * barSpace;
    const value = chart.unit === 'share' ? percent(bar.value) : String(bar.value);
    const target = bar.target === undefined ? '' : `<line x1="${labelWidth + (bar.target / max) * barSpace}" x2="${labelWidth + (bar.target / max) * barSpace}" y1="${y + 2}" y2="${y + rowHeight - 4}" stroke="#c0392b" stroke-width="2"><title>objectif</title></line>`;
    return `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(bar.label)}</text><rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 10}" fill="#2e6da4"/><text x="${labelWidth + w + 6}" y="${y + 17}">${value}</text>${target}`;
  });
  // Named for screen readers by its list of figures: the bars say nothing else.
  const described = chart.bars.map((b) => `${b.label} : ${chart.unit === 'share' ? percent(b.value) : String(b.value)}`).join(', ');
  return `<svg role="img" aria-label="${escapeHtml(`${title} — ${described}`)}" viewBox="0 0 ${width} ${chart.bars.length * rowHeight}" width="${width}" height="${chart.bars.length * rowHeight}" style="max-width:100%;height:auto" font-family="sans-serif" font-size="13">${rows.join('')}</svg>`;
}

/** The report's sections as HTML (a title of the given level each, sentences, list, chart): the page's body and the file's. */
export function reportSectionsHtml(report: EvaluationReport, heading: 'h2' | 'h3' = 'h2'): string {
  return sections(report)
    .map((s) => {
      const paragraphs = s.lines.filter((l) => !l.startsWith('- ')).map((l) => `<p>${escapeHtml(l)}</p>`);
      const items = s.lines.filter((l) => l.startsWith('- ')).map((l) => `<li>${escapeHtml(l.slice(2))}</li>`);
      return `<section><${heading}>${escapeHtml(s.title)}</${heading}>${paragraphs.join('')}${items.length ? `<ul>${items.join('')}</ul>` : ''}${s.chart ? svgBars(s.title, s.chart) : ''}</section>`;
    })
    .join('');
}

export function renderHtml(report: EvaluationReport): string {
  const title = `Bilan du PLIE — du ${formatFrenchDate(report.period.from)} au ${formatFrenchDate(report.period.to)}`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}h2{margin-top:2rem}</style></head><body><h1>${escapeHtml(title)}</h1>${reportSectionsHtml(report)}</body></html>\n`;
}

/** The report as a CSV for spreadsheets (semicolons, BOM): a line per sentence, then a line per bar of its chart. */
export function renderCsv(report: EvaluationReport): string {
  const rows: Array<Array<string | number>> = [['Rubrique', 'Ligne', 'Valeur', 'Objectif']];
  for (const section of sections(report)) {
    for (const line of section.lines) rows.push([section.title, line.replace(/^- /, ''), '', '']);
    for (const bar of section.chart?.bars ?? []) rows.push([section.title, bar.label, bar.value, bar.target ?? '']);
  }
  return `\uFEFF${stringify(rows, { delimiter: ';' })}`;
}

/** One sheet per section: the sentences, then the figures as a table. */
export async function renderXlsx(report: EvaluationReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'PLIE';
  for (const section of sections(report)) {
    const sheet = workbook.addWorksheet(section.title.slice(0, 31).replace(/[’']/g, ' '));
    sheet.getColumn(1).width = 60;
    sheet.getColumn(2).width = 14;
    sheet.addRow([section.title]).font = { bold: true, size: 14 };
    for (const line of section.lines) sheet.addRow([line.replace(/^- /, '')]);
    if (section.chart) {
      sheet.addRow([]);
      sheet.addRow(['', section.chart.unit === 'share' ? 'part' : 'nombre', 'objectif']).font = { bold: true };
      for (const bar of section.chart.bars) {
        const row = sheet.addRow([bar.label, bar.value, bar.target ?? null]);
        if (section.chart.unit === 'share') {
          row.getCell(2).numFmt = '0%';
          row.getCell(3).numFmt = '0%';
        }
      }
    }
  }
  const data = workbook.addWorksheet('Données');
  data.addRow(['JSON du rapport']);
  data.addRow([JSON.stringify(report)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
