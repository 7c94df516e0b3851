import { sql } from 'drizzle-orm';
import type { Db } from './connect';
import { products } from './schema';

type SeedProduct = typeof products.$inferInsert;

/**
 * The demo catalogue: Russian crafts in Russian and English, prices in kopecks; two made-to-order items
 * are paid two-stage.
 */
export const DEMO_CATALOGUE: SeedProduct[] = [
  {
    slug: 'samovar',
    name: 'Самовар тульский, 5 л',
    description: 'Латунный самовар с жаровой трубой. Ручная полировка, клеймо мастерской.',
    nameEn: 'Tula samovar, 5 l',
    descriptionEn: 'Brass samovar with a chimney pipe. Hand-polished, with the workshop mark.',
    priceKopecks: 1_850_000,
    imagePath: '/products/samovar.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'matryoshka',
    name: 'Матрёшка семеновская, 7 мест',
    description: 'Липа, анилиновые краски, лак. Высота большой куклы 18 см.',
    nameEn: 'Semyonov matryoshka, 7 pieces',
    descriptionEn: 'Lime wood, aniline paints, lacquer. The largest doll is 18 cm tall.',
    priceKopecks: 320_000,
    imagePath: '/products/matryoshka.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'platok',
    name: 'Павловопосадский платок «Зимний вечер»',
    description: 'Чистая шерсть, шёлковая бахрома, 125 × 125 см.',
    nameEn: 'Pavlovo Posad shawl “Winter Evening”',
    descriptionEn: 'Pure wool, silk fringe, 125 × 125 cm.',
    priceKopecks: 640_000,
    imagePath: '/products/platok.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'lozhka-hohloma',
    name: 'Ложка хохломская',
    description: 'Берёза, роспись «травка», пищевой лак.',
    nameEn: 'Khokhloma spoon',
    descriptionEn: 'Birch, “grass” painting, food-safe lacquer.',
    priceKopecks: 45_000,
    imagePath: '/products/lozhka-hohloma.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'gzhel-chashka',
    name: 'Чашка с блюдцем, гжель',
    description: 'Фарфор, подглазурная роспись кобальтом, 250 мл.',
    nameEn: 'Gzhel cup and saucer',
    descriptionEn: 'Porcelain, cobalt underglaze painting, 250 ml.',
    priceKopecks: 189_000,
    imagePath: '/products/gzhel-chashka.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'valenki',
    name: 'Валенки вятские',
    description: 'Овечья шерсть, ручная валка. Размеры 36–46.',
    nameEn: 'Vyatka felt boots',
    descriptionEn: 'Sheep wool, hand-felted. Sizes 36–46.',
    priceKopecks: 490_000,
    imagePath: '/products/valenki.svg',
    vatRate: '22',
    paymentSubject: 'goods',
    // Footwear is sold with a Chestny ZNAK marking code on the receipt (an example code, not a real one).
    markingCode: '010460043993125621JgXJ5.T',
  },
  {
    slug: 'ivan-chai',
    name: 'Иван-чай ферментированный, 100 г',
    description: 'Листовой, собран в Карелии, крафт-пакет.',
    nameEn: 'Fermented fireweed tea, 100 g',
    descriptionEn: 'Loose leaf, picked in Karelia, kraft bag.',
    priceKopecks: 39_900,
    imagePath: '/products/ivan-chai.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'med-altay',
    name: 'Мёд алтайский разнотравье, 500 г',
    description: 'Урожай этого года, стеклянная банка.',
    nameEn: 'Altai wildflower honey, 500 g',
    descriptionEn: 'This year’s harvest, glass jar.',
    priceKopecks: 75_050,
    imagePath: '/products/med-altay.svg',
    vatRate: '22',
    paymentSubject: 'goods',
  },
  {
    slug: 'pryanik-tula',
    name: 'Тульский пряник печатный',
    description: 'С повидлом, 350 г, в подарочной коробке.',
    nameEn: 'Tula printed gingerbread',
    descriptionEn: 'With jam filling, 350 g, in a gift box.',
    priceKopecks: 52_000,
    imagePath: '/products/pryanik-tula.svg',
    // Bread and bakery goods are on the reduced 10 % list.
    vatRate: '10',
    paymentSubject: 'goods',
  },
  {
    slug: 'shkatulka-palekh',
    name: 'Шкатулка палехская (на заказ)',
    description:
      'Папье-маше, темпера, золото. Пишется под заказ за 3 недели: оплата удерживается до отправки.',
    nameEn: 'Palekh lacquer box (made to order)',
    descriptionEn:
      'Papier-mâché, tempera, gold. Painted to order in 3 weeks: the payment is held until dispatch.',
    priceKopecks: 2_450_000,
    imagePath: '/products/shkatulka-palekh.svg',
    vatRate: '22',
    paymentSubject: 'goods',
    payTwoStage: true,
  },
  {
    slug: 'gusli',
    name: 'Гусли звончатые (на заказ)',
    description: 'Ель и клён, 11 струн. Изготовление 2 недели: оплата удерживается до отправки.',
    nameEn: 'Gusli psaltery (made to order)',
    descriptionEn: 'Spruce and maple, 11 strings. Made in 2 weeks: the payment is held until dispatch.',
    priceKopecks: 1_590_000,
    imagePath: '/products/gusli.svg',
    vatRate: '22',
    paymentSubject: 'goods',
    payTwoStage: true,
  },
];

/** Idempotent: inserts missing products and refreshes the demo ones, keyed by slug. */
export async function seedCatalogue(db: Db): Promise<{ products: number }> {
  const rows = DEMO_CATALOGUE.map((p, i) => ({ ...p, sortOrder: i }));
  await db
    .insert(products)
    .values(rows)
    .onConflictDoUpdate({
      target: products.slug,
      set: {
        name: sql`excluded.name`,
        description: sql`excluded.description`,
        nameEn: sql`excluded.name_en`,
        descriptionEn: sql`excluded.description_en`,
        priceKopecks: sql`excluded.price_kopecks`,
        imagePath: sql`excluded.image_path`,
        payTwoStage: sql`excluded.pay_two_stage`,
        vatRate: sql`excluded.vat_rate`,
        paymentSubject: sql`excluded.payment_subject`,
        markingCode: sql`excluded.marking_code`,
        sortOrder: sql`excluded.sort_order`,
        updatedAt: sql`now()`,
      },
    });
  return { products: rows.length };
}
