import { DEFAULT_MODEL } from '@inkling/core';
import { describe, expect, it } from 'vitest';
import { API_KEY, createTestReceiver } from '../../test/helpers.js';
import { OptionsError } from '../index.js';

describe('model page', () => {
  it('shows the default model and how to calibrate one when the model has no calibration', async () => {
    const receiver = createTestReceiver();
    try {
      const page = await receiver.fetch(
        new Request('http://receiver.test/dashboard/model', { headers: { authorization: `Bearer ${API_KEY}` } }),
      );
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`<td data-field="version">${DEFAULT_MODEL.version}</td>`);
      expect(html).toContain('No calibration report');
      expect(html).not.toContain('data-section="calibration"');
    } finally {
      await receiver.close();
    }
  });

  it('refuses a model file whose calibration is malformed, naming the field', () => {
    const model = {
      ...DEFAULT_MODEL,
      calibration: {
        createdAt: '2026-11-01T00:00:00Z',
        source: 'the store',
        rows: 10,
        converted: 3,
        folds: 5,
        fitted: { auc: 'high', ap: 0.5 },
      },
    };
    const attempt = () => createTestReceiver({ model });
    expect(attempt).toThrow(OptionsError);
    expect(attempt).toThrow('model.calibration.fitted.auc: expected a number, got "high"');
  });
});
