import type { Dictionary } from './ru';

export const en: Dictionary = {
  lang: 'en',
  shop: {
    name: 'Craft Store',
    tagline: 'Russian folk crafts delivered across Russia',
    catalogue: 'Catalogue',
    cart: 'Cart',
    footer: 'assist-storefront demo shop. Card payments through ASSIST.',
    sandboxBanner: 'Sandbox: the payment gateway is a test one, no money moves.',
    switchLanguage: 'Русский',
    skipToContent: 'Skip to content',
  },
  catalogue: {
    title: 'Catalogue',
    empty: 'No products yet.',
    madeToOrder: 'Made to order: payment is held until shipping',
    details: 'Details',
  },
  product: {
    back: '← All products',
    price: 'Price',
    notFound: 'No such product.',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundText: 'This page does not exist or is no longer available.',
    genericTitle: 'Something went wrong',
    genericText: 'We know about the error. Please reload the page a little later.',
    retry: 'Try again',
  },
};
