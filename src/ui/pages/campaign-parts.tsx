/** Campaign page sections: QR preview with its controls, action code batches, promo codes. */
import type { CodeBatch } from '../../db/code-batches';
import type { LinkWithCampaign } from '../../db/links';
import type { PromoCode } from '../../db/promo-codes';
import { QR_ECC_LEVELS } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Csrf, Field } from '../layout';

export interface QrOptions {
  size: number;
  ecc: string;
  fg: string;
  bg: string;
}

export const qrQueryString = (options: QrOptions, format: 'png' | 'svg', download = false): string =>
  new URLSearchParams({
    format,
    size: String(options.size),
    ecc: options.ecc,
    fg: options.fg,
    bg: options.bg,
    ...(download ? { download: '1' } : {}),
  }).toString();

export function QrSection(props: { t: Texts; campaignId: string; link: LinkWithCampaign; shortUrl: string; options: QrOptions }) {
  const { t, link, options } = props;
  const base = `/links/${link.id}/qr`;
  return (
    <section class="card" id="qr" aria-labelledby="qr-title">
      <h2 id="qr-title">
        {t.qrCode}: <code>{props.shortUrl}</code>
      </h2>
      <div class="qr">
        <img
          id="qr-img"
          src={`${base}?${qrQueryString(options, 'png')}`}
          alt={`${t.qrCode} ${props.shortUrl}?qr=1`}
          width={options.size}
          height={options.size}
        />
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
            <input type="hidden" name="link" value={link.id} />
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
            <div class="field">
              <button type="submit" class="secondary">
                {t.update}
              </button>
            </div>
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
    </section>
  );
}

interface FormPart {
  t: Texts;
  fmt: Formatters;
  csrf: string;
  campaignId: string;
  canWrite: boolean;
  values: FormValues;
  errors: FieldErrors;
}

export function BatchesSection(props: FormPart & { batches: CodeBatch[] }) {
  const { t, fmt, values, errors } = props;
  return (
    <section class="card" aria-labelledby="batches-title">
      <h2 id="batches-title">{t.codeBatches}</h2>
      {props.batches.length === 0 ? (
        <p class="empty">{t.noBatches}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">{t.prefix}</th>
                <th scope="col" class="num">
                  {t.minted}
                </th>
                <th scope="col">{t.reward}</th>
                <th scope="col">CSV</th>
              </tr>
            </thead>
            <tbody>
              {props.batches.map((batch) => (
                <tr>
                  <td>
                    <code>{batch.id}</code>
                  </td>
                  <td>{batch.prefix ?? '–'}</td>
                  <td class="num">
                    {fmt.num(batch.minted)} / {fmt.num(batch.count)}
                  </td>
                  <td>{batch.reward ?? '–'}</td>
                  <td>{batch.status === 'ready' ? <a href={`/codes/batches/${batch.id}/codes.csv`}>{t.downloadCsv}</a> : batch.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/code-batches`}>
          <Csrf token={props.csrf} />
          {errors._ && (
            <p class="notice field wide" role="alert">
              {errors._}
            </p>
          )}
          <Field name="count" label={t.count} value={values.count ?? '100'} error={errors.count} type="number" required attrs={{ min: 1, max: 1000000 }} />
          <Field name="prefix" label={t.prefix} value={values.prefix} error={errors.prefix} />
          <Field name="reward" label={t.reward} value={values.reward} error={errors.reward} />
          <Field
            name="max_redemptions_per_code"
            id="b-max_redemptions_per_code"
            label={t.perCode}
            value={values.max_redemptions_per_code ?? '1'}
            error={errors.max_redemptions_per_code}
            type="number"
            attrs={{ min: 1 }}
          />
          <Field name="starts_at" id="b-starts_at" label={t.validFrom} value={values.starts_at} error={errors.starts_at} />
          <Field name="expires_at" id="b-expires_at" label={t.validUntil} value={values.expires_at} error={errors.expires_at} />
          <div class="field">
            <button type="submit">{t.mint}</button>
          </div>
        </form>
      )}
    </section>
  );
}

export function PromosSection(props: FormPart & { promos: PromoCode[] }) {
  const { t, fmt, values, errors } = props;
  return (
    <section class="card" aria-labelledby="promos-title">
      <h2 id="promos-title">{t.promoCodes}</h2>
      {props.promos.length === 0 ? (
        <p class="empty">{t.noPromos}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.code}</th>
                <th scope="col">{t.discount}</th>
                <th scope="col" class="num">
                  {t.redemptions}
                </th>
                <th scope="col">{t.status}</th>
                <th scope="col">CSV</th>
              </tr>
            </thead>
            <tbody>
              {props.promos.map((promo) => (
                <tr>
                  <td>
                    <code>{promo.code ?? `${promo.prefix ?? ''}… × ${fmt.num(promo.count)}`}</code>
                  </td>
                  <td>{promo.discount ?? '–'}</td>
                  <td class="num">
                    {fmt.num(promo.redemptions)}
                    {promo.maxRedemptions !== null && ` / ${fmt.num(promo.maxRedemptions)}`}
                  </td>
                  <td>{promo.status === 'active' ? t.active : t.archived}</td>
                  <td>
                    <a href={`/codes/promos/${promo.id}/codes.csv`}>{t.downloadCsv}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.canWrite && (
        <form class="stack" method="post" action={`/campaigns/${props.campaignId}/promo-codes`}>
          <Csrf token={props.csrf} />
          {errors._ && (
            <p class="notice field wide" role="alert">
              {errors._}
            </p>
          )}
          <Field name="code" label={t.code} value={values.code} error={errors.code} attrs={{ pattern: '[A-Za-z0-9-]{3,32}' }} />
          <Field name="count" id="p-count" label={t.uniqueCount} value={values.count} error={errors.count} type="number" attrs={{ min: 1, max: 10000 }} />
          <Field name="prefix" id="p-prefix" label={t.prefix} value={values.prefix} error={errors.prefix} />
          <Field name="discount" label={t.discount} value={values.discount} error={errors.discount} />
          <Field
            name="max_redemptions"
            label={`${t.redemptions} (max)`}
            value={values.max_redemptions}
            error={errors.max_redemptions}
            type="number"
            attrs={{ min: 1 }}
          />
          <Field
            name="max_per_customer"
            id="p-max_per_customer"
            label={t.perCustomer}
            value={values.max_per_customer}
            error={errors.max_per_customer}
            type="number"
            attrs={{ min: 1 }}
          />
          <Field
            name="min_order_value"
            id="p-min_order_value"
            label={t.minOrderValue}
            value={values.min_order_value}
            error={errors.min_order_value}
            type="number"
            attrs={{ min: 0, step: '0.01' }}
          />
          <Field name="starts_at" id="p-starts_at" label={t.validFrom} value={values.starts_at} error={errors.starts_at} />
          <Field name="ends_at" id="p-ends_at" label={t.validUntil} value={values.ends_at} error={errors.ends_at} />
          <div class="field">
            <button type="submit">{t.createPromo}</button>
          </div>
        </form>
      )}
    </section>
  );
}
