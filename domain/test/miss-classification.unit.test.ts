import { describe, expect, it } from 'vitest';
import { classifyMissBytes, classifyStart } from '../src/steering/miss-classification';

const eu1 = { edgeId: 'eu-1', region: 'eu', healthy: true };
const us1 = { edgeId: 'us-1', region: 'us', healthy: true };

describe('classifying a play that did not start on an edge of its region', () => {
  it('is no miss when the first offer is a local holder', () => {
    expect(classifyStart({ region: 'eu', offered: ['eu-1', 'us-1'], holders: [eu1, us1] })).toBeNull();
  });
  it('is a content miss when no edge of the region held it, even if another region served it', () => {
    expect(classifyStart({ region: 'eu', offered: ['us-1'], holders: [us1] })).toBe('content');
    expect(classifyStart({ region: 'eu', offered: [], holders: [] })).toBe('content');
  });
  it('is a health miss when the local holders were all down', () => {
    expect(classifyStart({ region: 'eu', offered: ['us-1'], holders: [{ ...eu1, healthy: false }, us1] })).toBe(
      'health',
    );
  });
  it('is a steering miss when a healthy local holder was not offered first', () => {
    expect(classifyStart({ region: 'eu', offered: ['us-1', 'eu-1'], holders: [eu1, us1] })).toBe('steering');
  });
  it('treats every region as the viewer’s when they gave none', () => {
    expect(classifyStart({ region: null, offered: ['us-1'], holders: [us1] })).toBeNull();
  });
  it('classes later origin bytes of a session that started on an edge as health, and pulled-through bytes as content', () => {
    expect(classifyMissBytes({ start: null, servedBy: 'origin' })).toBe('health');
    expect(classifyMissBytes({ start: 'content', servedBy: 'origin' })).toBe('content');
    expect(classifyMissBytes({ start: null, servedBy: 'edge' })).toBe('content');
  });
});
