/** A camel-case name as a data- attribute spells it: `scrollRoot` is `scroll-root`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
