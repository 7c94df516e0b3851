/** Russian UI text: the default for the shop's customers. Every UI string lives here and in en.ts. */
export const ru = {
  lang: 'ru',
  shop: {
    name: 'Лавка ремёсел',
    tagline: 'Русские промыслы с доставкой по России',
    catalogue: 'Каталог',
    cart: 'Корзина',
    footer: 'Демонстрационный магазин assist-storefront. Оплата картой через ASSIST.',
    sandboxBanner: 'Песочница: платёжный шлюз тестовый, деньги не списываются.',
    switchLanguage: 'English',
    skipToContent: 'Перейти к содержимому',
  },
  catalogue: {
    title: 'Каталог',
    empty: 'Товаров пока нет.',
    madeToOrder: 'На заказ: оплата удерживается до отправки',
    details: 'Подробнее',
  },
  product: {
    back: '← Весь каталог',
    price: 'Цена',
    notFound: 'Такого товара нет.',
  },
  errors: {
    notFoundTitle: 'Страница не найдена',
    notFoundText: 'Такой страницы нет или она больше недоступна.',
    genericTitle: 'Что-то пошло не так',
    genericText: 'Мы уже знаем об ошибке. Попробуйте обновить страницу чуть позже.',
    retry: 'Попробовать снова',
  },
};

export type Dictionary = typeof ru;
