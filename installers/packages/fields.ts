import { defineField, type FieldSpec } from '../../src/answers/types.js';

/** The packages installer's slice of the answers file. */
export const packageFields: FieldSpec[] = [
  defineField({ key: 'packages.skip', prop: 'skipPackages', type: 'boolean', flag: '--skip-packages', description: 'do not install OS packages (they are already managed another way)', default: false }),
  defineField({
    key: 'packages.extra',
    prop: 'extraPackages',
    type: 'string-list',
    description: 'more OS packages to install with the role packages, e.g. [htop, tmux]',
    default: [],
    maxBytes: 128,
    maxItems: 50,
    limits: 'package names: letters, digits and + . : _ -, starting with a letter or digit',
    check: (value) => {
      const bad = value.find((name) => !/^[a-z0-9][a-z0-9+.:_-]*$/i.test(name));
      return bad === undefined ? undefined : { message: `${JSON.stringify(bad)} is not a package name`, fix: 'use names as apt-get or dnf know them, e.g. htop' };
    },
  }),
];
