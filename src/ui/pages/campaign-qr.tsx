/** Campaign page section "QR & print": a link chooser, the chosen link's QR preview with its controls and downloads, the print sheet. */
import { QR_ECC_LEVELS } from '../../domain/vocab';
import type { Texts } from '../i18n';
import { Field } from '../layout';
import { campaignPath, kindName, type LinkRow, type QrOptions } from './campaign-view';
import type { Part } from './campaign-parts';
import { Card, Cell, DataTable, KeyCell, Submit } from './parts';

export type { QrOptions } from './campaign-view';

export const qrQueryString = (options: QrOptions, format: 'png' | 'svg', download = false): string =>
  new URLSearchParams({
    format,
    size: String(options.size),
    ecc: options.ecc,
    fg: options.fg,
    bg: options.bg,
    ...(download ? { download: '1' } : {}),
  }).toString();

export function QrSection(props: Part & { links: LinkRow[]; qr: { link: LinkRow; options: QrOptions } | null }) {
  const { t, campaignId } = props;
  return (
    <>
      <Card id="qr-links" title={t.cpSectionQr}>
        <p class="muted">{t.cpQrIntro}</p>
        <DataTable
          class="cards"
          rows={props.links}
          empty={t.noLinks}
          columns={[{ label: t.shortUrl }, { label: t.kind }, { label: t.qrCode }]}
          row={(row) => (
            <tr data-link={row.link.id} aria-current={props.qr?.link.link.id === row.link.id ? 'true' : undefined}>
              <KeyCell>
                <code data-short-url>{row.shortUrl}</code>
                {row.link.label && <div class="muted">{row.link.label}</div>}
              </KeyCell>
              <Cell label={t.kind}>{kindName(t, row.link.kind)}</Cell>
              <Cell label={t.qrCode}>
                <a href={`${campaignPath(campaignId, 'qr', { link: row.link.id })}#qr`} aria-label={`${t.cpChooseQr}: ${row.shortUrl}`}>
                  {t.cpChooseQr}
                </a>
              </Cell>
            </tr>
          )}
        />
        <p class="actions">
          <a href={`/campaigns/${campaignId}/qr-sheet`}>{t.printSheet}</a>
        </p>
      </Card>
      {props.qr && <QrPreview t={t} campaignId={campaignId} row={props.qr.link} options={props.qr.options} />}
    </>
  );
}

function QrPreview(props: { t: Texts; campaignId: string; row: LinkRow; options: QrOptions }) {
  const { t, row, options } = props;
  const base = `/links/${row.link.id}/qr`;
  return (
    <Card
      id="qr"
      title={
        <>
          {t.qrCode}: <code>{row.shortUrl}</code>
        </>
      }
    >
      <div class="qr">
        <img id="qr-img" src={`${base}?${qrQueryString(options, 'png')}`} alt={`${t.qrCode} ${row.shortUrl}?qr=1`} width={options.size} height={options.size} />
        <div>
          <form
            class="stack"
            method="get"
            action={`/campaigns/${props.campaignId}`}
            data-qr-img="qr-img"
            data-qr-svg="qr-svg"
            data-qr-png="qr-png"
            data-qr-base={base}
          >
            <input type="hidden" name="section" value="qr" />
            <input type="hidden" name="link" value={row.link.id} />
            <Field name="size" label={t.size} value={String(options.size)} type="number" attrs={{ min: 64, max: 2048, step: 32 }} />
            <div class="field">
              <label for="f-ecc">{t.ecc}</label>
              <select id="f-ecc" name="ecc">
                {QR_ECC_LEVELS.map((level) => (
                  <option value={level} selected={level === options.ecc}>
                    {level}
                  </option>
                ))}
              </select>
            </div>
            <Field name="fg" label={t.foreground} value={options.fg} type="color" />
            <Field name="bg" label={t.background} value={options.bg} type="color" />
            <Submit label={t.update} secondary />
          </form>
          <p class="actions">
            <a id="qr-svg" href={`${base}?${qrQueryString(options, 'svg', true)}`}>
              {t.downloadSvg}
            </a>
            <a id="qr-png" href={`${base}?${qrQueryString(options, 'png', true)}`}>
              {t.downloadPng}
            </a>
            <a href={`/campaigns/${props.campaignId}/qr-sheet`}>{t.printSheet}</a>
          </p>
        </div>
      </div>
    </Card>
  );
}
